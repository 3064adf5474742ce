/** Race setup shared by the entries that show a race on a screen (the live terminal, `--render`). */
import {basename} from 'node:path';
import {DataError} from '../data/dataset.js';
import type {Dataset} from '../data/dataset.js';
import {Scheduler} from '../engine/scheduler.js';
import type {Config} from './config.js';
import {raceConfig} from './config.js';
import {EXPORT_HISTORY_CAPACITY} from './headless.js';

/** The scheduler for a config; a data set the engine refuses is a DataError, as in the headless mode. */
export function createScheduler(config: Config, dataset: Dataset): Scheduler {
	try {
		return new Scheduler(
			{...raceConfig(config, dataset), ...(config.export === null ? {} : {historyCapacity: EXPORT_HISTORY_CAPACITY})},
			{speed: config.speed},
		);
	} catch (error) {
		if (error instanceof RangeError) throw new DataError(`${dataset.source}: ${error.message}`);
		throw error;
	}
}

/** What the screen's header shows of the data set. */
export function headerData(dataset: Dataset) {
	return {name: basename(dataset.source), rows: dataset.rows, features: dataset.features, target: dataset.target, scale: dataset.scale};
}
