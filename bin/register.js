// `node --import weir/register job.ts`: runs TypeScript with the tsx that comes with Weir, so a
// project of jobs (weir init) needs no TypeScript runner of its own.
import 'tsx';
