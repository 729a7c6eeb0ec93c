using System.Net;
using System.Net.Sockets;

namespace Tickets.Tests.Interop;

/// <summary>
/// A currently unused loopback port, for servers that cannot be told "port 0" and report back (openssl s_server).
/// Another process could take it before the server binds; <see cref="ReferenceServer"/> retries in that case.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
