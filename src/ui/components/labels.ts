/** Short racer names for the screen (the table's racer column is 9 wide). */
const LABELS: Readonly<Record<string, string>> = {gd: 'GD', sgd: 'SGD', 'mb-random': 'MB-random', 'mb-epoch': 'MB-epoch'};

/** 'gd' → 'GD', 'mb-random' → 'MB-random'; an unknown id as it is. */
export function racerLabel(id: string): string {
	return LABELS[id] ?? id;
}
