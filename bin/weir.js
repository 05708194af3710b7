#!/usr/bin/env node
// The weir command under its first name, for scripts and specs that still call bin/weir.js: the
// same CLI as bin/weir.
import './weir';
