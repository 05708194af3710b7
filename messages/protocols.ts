// Loads every protocol of Weir for its registration side effect (see codec.ts).
import './checkpoint.ts';
import './collect.ts';
import './dispatcher.ts';
import './job-manager.ts';
import './job-status.ts';
import './metrics.ts';
import './resource-manager.ts';
import './task-manager.ts';
