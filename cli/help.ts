/** The exit codes every command documents (EXIT_CODES in errors.ts). */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  succeeded (doctor: no error finding; status: not failed)",
  "  1  the deploy ended RolledBack / Failed / Aborted / timed out (doctor: an error finding)",
  "  2  nothing done: bad usage or input, unreadable file, bad output path, port in use,",
  "     endpoint unreachable, unknown state machine or deploy, execution name in use",
  "  3  detached with Ctrl-C while the deploy goes on",
].join("\n");
