// Entry point of the `tickets` command: everything lives in CommandLine and the files it calls.
return await Tickets.Cli.CommandLine.RunAsync(args);
