using System.Runtime.CompilerServices;

// The test project checks argument parsing, the --www page and certificate provisioning in-process,
// which is quicker and more precise than starting a process for every case.
[assembly: InternalsVisibleTo("Tickets.Tests")]
