#pragma once
// Latency bounds in tests (a stalled GUI thread, the time to stop on SIGINT) are written for the optimised
// build. The sanitizer build runs our code 2-3x slower and scans memory for leaks at exit (there a 50 ms stall
// measured 60 ms and a 1 s stop 1.19 s), so it gets three times the room.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kTimingAllowance = 3.0;
#else
constexpr double kTimingAllowance = 1.0;
#endif
