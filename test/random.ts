/** A small seeded generator (xorshift32) for the property tests: the same cases every run, uniform in [0, 1). */
export function generator(seed: number): () => number {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 2 ** 32;
	};
}
