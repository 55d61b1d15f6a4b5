//! Runs PDF extraction in a child process with time and memory limits.
