using System.Net;
using System.Net.Sockets;

namespace WebhookAdmin.Tests.Infrastructure;

public static class Loopback
{
    /// <summary>A loopback port that was free a moment ago and that nothing listens on now: connecting is refused.</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
