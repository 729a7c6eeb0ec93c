namespace Tickets.Tests;

/// <summary>
/// The kinds of test, as xunit traits (<c>[Trait("Category", …)]</c>), so a fast loop is one filter away:
/// <c>dotnet test Tickets.sln --filter Category=Unit</c> runs only what needs nothing outside the test process.
/// CI runs every category.
/// </summary>
internal static class TestCategory
{
    /// <summary>In-process only: the core, codecs, crypto vectors, the engine against scripted or .NET clients.</summary>
    public const string Unit = "Unit";

    /// <summary>Real external programs (openssl, gnutls-cli, node, java, curl, tshark) or the tickets process itself.</summary>
    public const string Interop = "Interop";

    /// <summary>A real redis-server behind a fleet of servers.</summary>
    public const string Fleet = "Fleet";

    /// <summary>Headless Chromium.</summary>
    public const string Browser = "Browser";

    /// <summary>Many clients for a while, watching memory and descriptors.</summary>
    public const string Soak = "Soak";

    /// <summary>
    /// The packages as users get them: `dotnet pack` of the built solution, each .nuspec and .snupkg read back, the
    /// .NET tool installed from the folder and run. Needs the solution built (as `dotnet test` does first).
    /// </summary>
    public const string Packaging = "Packaging";
}
