using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package): MailKit talks to it over TCP exactly as it would to a
/// mail relay. It keeps what it accepted, and can refuse the next messages with a temporary error (452), as a full or
/// overloaded relay does.
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;
    private int _refuse;

    public int Port { get; private set; }
    public IReadOnlyList<MimeMessage> Messages => _messages.ToArray();

    /// <summary>The next <paramref name="count"/> messages are refused with 452 (try again later).</summary>
    public void RefuseNext(int count) => Volatile.Write(ref _refuse, count);

    /// <summary>The settings that point the app at this server.</summary>
    public WorldOptions Into(WorldOptions options) => options
        .With("Notifications:Smtp:Host", "127.0.0.1")
        .With("Notifications:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .With("Notifications:Smtp:Security", "None")
        .With("Notifications:Smtp:From", "WebhookAdmin <webhooks@test.local>");

    public static async Task<TestSmtpServer> StartAsync()
    {
        var smtp = new TestSmtpServer { Port = Loopback.ClosedPort() };
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, smtp.Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(smtp));
        smtp._server = new SmtpServer.SmtpServer(options, services);
        smtp._running = smtp._server.StartAsync(smtp._stop.Token);
        await smtp.WaitUntilListeningAsync();
        return smtp;
    }

    public Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(Messages), m => m.Count >= count, $"{count} emails to arrive");

    private async Task WaitUntilListeningAsync()
    {
        for (var tries = 0; ; tries++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (tries < 200)
            {
                await Task.Delay(25);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_running is not null) await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private sealed class Store(TestSmtpServer smtp) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref smtp._refuse) >= 0)
                return new SmtpResponse(SmtpReplyCode.InsufficientStorage, "Mailbox full, try again later");
            Interlocked.Exchange(ref smtp._refuse, 0);
            using var stream = new MemoryStream(buffer.ToArray());
            smtp._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
