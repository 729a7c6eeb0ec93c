using System.Runtime.CompilerServices;

// The micro-benchmarks (tests/Tickets.Benchmarks) drive the handshake with fixed entropy and a fixed clock,
// and time the record and ticket internals directly, like the tests do. The project file's own
// InternalsVisibleTo item belongs to the engine stream; an attribute here keeps that file untouched.
[assembly: InternalsVisibleTo("Tickets.Benchmarks")]
