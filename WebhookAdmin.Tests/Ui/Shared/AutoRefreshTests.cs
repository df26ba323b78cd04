using WebhookAdmin.Components.Shared;
using WebhookAdmin.Tests.Infrastructure;

namespace WebhookAdmin.Tests.Ui.Shared;

public sealed class AutoRefreshTests
{
    private static readonly TimeSpan Often = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task It_reloads_while_open_and_never_again_once_disposed()
    {
        var reloads = 0;
        var refresh = new AutoRefresh(work => work(), _ => { Interlocked.Increment(ref reloads); return Task.CompletedTask; }, Often);
        await Eventually.ReturnsAsync(() => Task.FromResult(Volatile.Read(ref reloads)), n => n >= 2, "two reloads");

        await refresh.DisposeAsync();
        var afterDispose = Volatile.Read(ref reloads);
        await Task.Delay(Often * 5, TestContext.Current.CancellationToken);

        Assert.Equal(afterDispose, Volatile.Read(ref reloads));
    }

    [Fact]
    public async Task A_failed_reload_does_not_stop_the_next_ones()
    {
        var calls = 0;
        await using var refresh = new AutoRefresh(work => work(), _ =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("database busy") : Task.CompletedTask, Often);

        await Eventually.ReturnsAsync(() => Task.FromResult(Volatile.Read(ref calls)), n => n >= 3, "reloads after the failure");
    }
}
