import {useEffect, useState} from 'react';
import {realClock} from '../clock.js';
import type {SessionClock} from '../clock.js';
import type {SharedRace, SharedView} from '../shared-race.js';

/** Longest time a frame may come early, ms (as the race loop allows half a tick). */
const EARLY_MS = 1000 / 60;

/**
 * The newest view a shared race's presenter published, at most `fps` times a second: a
 * publication that comes sooner after the last one shown is shown a little later, and any that
 * follow it in between are skipped for the newest (none is queued). None: undefined.
 */
export default function useFollow(shared: SharedRace | undefined, {fps, clock = realClock}: {readonly fps: number; readonly clock?: SessionClock}): SharedView | undefined {
	const [view, setView] = useState(() => shared?.view);
	useEffect(() => {
		if (shared === undefined) return;
		const periodMs = 1000 / fps;
		let last = Number.NEGATIVE_INFINITY;
		let cancel: (() => void) | undefined;
		let shown: SharedView | undefined;
		const show = (): void => {
			cancel = undefined;
			last = clock.now();
			shown = shared.view;
			setView(shown);
		};
		const onChange = (): void => {
			// Nothing new (the status changed), or a frame is already due: it will show the newest.
			if (shared.view === shown || cancel !== undefined) return;
			const wait = last + periodMs - Math.min(EARLY_MS, periodMs / 2) - clock.now();
			if (wait <= 0) show();
			else cancel = clock.schedule(show, wait);
		};
		const unsubscribe = shared.subscribe(onChange);
		onChange();
		return () => {
			unsubscribe();
			cancel?.();
		};
	}, [shared, fps, clock]);
	return view;
}
