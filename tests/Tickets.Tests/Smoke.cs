namespace Tickets.Tests;
public class Smoke { [Fact] public void Two() => Assert.Equal(2, Tickets.Core.Model.Placeholder.Two); }
