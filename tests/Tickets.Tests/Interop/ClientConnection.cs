namespace Tickets.Tests.Interop;

/// <summary>What a client observed on one connection: tickets it received and whether the server resumed its session.</summary>
public sealed record ClientConnection(int Tickets, bool Resumed)
{
    public override string ToString() => $"{(Resumed ? "resumed" : "full")} tickets={Tickets}";
}
