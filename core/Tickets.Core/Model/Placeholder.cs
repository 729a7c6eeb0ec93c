namespace Tickets.Core.Model;
public static class Placeholder { public static int Two => 2; }
