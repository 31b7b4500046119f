/* The command line: one function per subcommand, each returning the exit
 * status (0 ok, 1 run failed, 2 usage or configuration error). */
#ifndef HZ_CLI_H
#define HZ_CLI_H
int hz_cmd_run(int argc, char **argv, int validate_only);
int hz_cmd_recover(int argc, char **argv);
int hz_cmd_history(int argc, char **argv);
int hz_cmd_plugins(int argc, char **argv);
int hz_cmd_country(int argc, char **argv);
int hz_cmd_test(int argc, char **argv);
void hz_print_help(void);
/* One command's usage and options: 0, or 2 for no such command. */
int hz_print_command_help(const char *command);
#endif
