// Formatters for the console's numbers. Every one returns a short string of a stable shape, so a
// column of them keeps its width while values stream in (the cells use tabular figures).

/** An em dash: a value that is not known (yet), never "0" or "NaN". */
export const UNKNOWN = '—';

const COUNT_UNITS = ['', 'k', 'M', 'G', 'T'] as const;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

function known(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** 999, 1.0k, 12.3k, 1.2M: three significant figures at most. */
export function formatCount(value: number | null | undefined): string {
  if (!known(value)) return UNKNOWN;
  const sign = value < 0 ? '-' : '';
  let scaled = Math.abs(value);
  if (scaled < 1000) return sign + String(Math.round(scaled));
  let unit = 0;
  while (scaled >= 999.95 && unit < COUNT_UNITS.length - 1) {
    scaled /= 1000;
    unit++;
  }
  return `${sign}${scaled >= 100 ? scaled.toFixed(0) : scaled.toFixed(1)}${COUNT_UNITS[unit]}`;
}

/** A per-second rate: "0/s", "12.3k/s"; a fraction below 10 keeps one decimal ("0.5/s"). */
export function formatRate(perSecond: number | null | undefined): string {
  if (!known(perSecond)) return UNKNOWN;
  if (perSecond > 0 && perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${formatCount(perSecond)}/s`;
}

/** 512 B, 1.5 KiB, 20.0 MiB. */
export function formatBytes(value: number | null | undefined): string {
  if (!known(value)) return UNKNOWN;
  let scaled = Math.abs(value);
  let unit = 0;
  while (scaled >= 1024 && unit < BYTE_UNITS.length - 1) {
    scaled /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${value < 0 ? '-' : ''}${scaled.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** A ratio in 0..1 as a whole percentage: "0 %", "87 %". */
export function formatPercent(ratio: number | null | undefined): string {
  if (!known(ratio)) return UNKNOWN;
  return `${Math.round(Math.min(1, Math.max(0, ratio)) * 100)} %`;
}

/** A duration: "850 ms", "12.4 s", "3m 05s", "2h 07m", "3d 04h". */
export function formatDuration(ms: number | null | undefined): string {
  if (!known(ms) || ms < 0) return UNKNOWN;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ${pad(Math.floor(seconds / 60) % 60)}m`;
  return `${Math.floor(seconds / 86_400)}d ${pad(Math.floor(seconds / 3600) % 24)}h`;
}

/** A wall-clock time of day in UTC with milliseconds, as the trace lists it: "13:05:09.042". */
export function formatClock(epochMs: number | null | undefined): string {
  if (!known(epochMs)) return UNKNOWN;
  return new Date(epochMs).toISOString().slice(11, 23);
}

/** A date and time in UTC to the second: "2026-12-03 13:05:09". */
export function formatTimestamp(epochMs: number | null | undefined): string {
  if (!known(epochMs) || epochMs <= 0) return UNKNOWN;
  return new Date(epochMs).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * An event-time watermark: -Infinity (none yet) is "no watermark", +Infinity (the input ended) is
 * "end of time", anything else the UTC time it stands for, to the millisecond.
 */
export function formatWatermark(watermark: number | null | undefined): string {
  if (watermark === null || watermark === undefined || Number.isNaN(watermark)) return UNKNOWN;
  if (watermark === -Infinity) return 'no watermark';
  if (watermark === Infinity) return 'end of time';
  return new Date(watermark).toISOString().slice(0, 23).replace('T', ' ');
}

/** The short form of a job id (its first 8 characters), as the CLI prints it. */
export function shortId(id: string | null | undefined): string {
  if (!id) return UNKNOWN;
  return id.length > 8 ? id.slice(0, 8) : id;
}

/**
 * An actor address without its scheme and host: "weir://jobmanager@127.0.0.1:6123/user/dispatcher"
 * becomes "jobmanager/user/dispatcher" (a local system's "weir://minicluster/user/a" "minicluster/user/a");
 * a local path stays as it is.
 */
export function shortActor(address: string | null | undefined): string {
  if (!address) return UNKNOWN;
  const match = /^weir:\/\/([^@/]+)(?:@[^/]*)?(\/.*)?$/.exec(address);
  if (!match) return address;
  return `${match[1]}${match[2] ?? ''}`;
}
