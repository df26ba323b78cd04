namespace WebhookAdmin.Components.Shared;

/// <summary>
/// Reloads a page's data every few seconds while it is open, on the component's dispatcher; dispose it
/// with the component. Wall-clock time on purpose: refreshing a screen is not domain time, and tests that
/// fake the app's TimeProvider still want live pages.
/// </summary>
public sealed class AutoRefresh : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="dispatch">The component's InvokeAsync, so the reload runs like any UI event.</param>
    /// <param name="reload">Loads the data and re-renders (call StateHasChanged in it).</param>
    /// <param name="interval">The pause between reloads; <see cref="DefaultInterval"/> when not given.</param>
    public AutoRefresh(Func<Func<Task>, Task> dispatch, Func<CancellationToken, Task> reload, TimeSpan? interval = null) =>
        _loop = RunAsync(dispatch, reload, interval ?? DefaultInterval, _stop.Token);

    private static async Task RunAsync(Func<Func<Task>, Task> dispatch, Func<CancellationToken, Task> reload, TimeSpan interval, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await dispatch(() => reload(stop));
                }
                catch (Exception e) when (e is not OperationCanceledException and not ObjectDisposedException)
                {
                    // One failed reload (a busy database, say) must not end the circuit: the page keeps what it
                    // shows and the next tick tries again. The page's first load still fails loudly.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed with its page.
        }
        catch (ObjectDisposedException)
        {
            // The circuit went away mid-tick.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
