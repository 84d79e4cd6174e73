import { WorkingDayCalendar } from './calendar';
import { CN_CALENDAR_DATA } from './calendar-data';

/** The State Council notices shipped with the library (calendar-data.ts). Extend with `withYear`. */
export const defaultCalendar: WorkingDayCalendar = WorkingDayCalendar.from(CN_CALENDAR_DATA);
