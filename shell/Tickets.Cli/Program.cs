// Entry point of the `tickets` command: everything lives in CommandLine and the files it calls. The socket engine's
// settings must be in place before the first socket exists.
Tickets.Cli.SocketEngineSettings.Apply();
return await Tickets.Cli.CommandLine.RunAsync(args);
