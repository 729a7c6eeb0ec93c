using System.Reflection;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tickets.AspNetCore;

/// <summary>
/// Tells Kestrel that an endpoint is secured, as <c>UseHttps</c> does through <c>ListenOptions.IsTls</c>, which is
/// internal. Kestrel reads the flag only to describe the endpoint: its scheme in "Now listening on: https://...", and
/// its start-up warning that HTTP/1.1-and-HTTP/2 without TLS will only speak HTTP/1.1 (untrue here: the protocol is
/// chosen per connection from the ALPN feature we set). The configuration loader also skips an https endpoint whose
/// flag is set, instead of looking for a certificate of its own. Nothing about a connection depends on it.
/// </summary>
internal static class KestrelTlsFlag
{
    private static readonly PropertyInfo? IsTls =
        typeof(ListenOptions).GetProperty("IsTls", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    /// <summary>
    /// Sets the flag, when this Kestrel has it; returns whether it did. Without it the endpoint still serves TLS and
    /// HTTP/2 exactly the same; only Kestrel's log describes it as plain http.
    /// </summary>
    public static bool TryMarkSecured(ListenOptions listen)
    {
        if (IsTls is not { CanWrite: true } property || property.PropertyType != typeof(bool))
        {
            return false;
        }

        property.SetValue(listen, true);
        return true;
    }
}
