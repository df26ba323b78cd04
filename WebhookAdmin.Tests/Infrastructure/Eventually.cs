namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>Polls for a state the app reaches asynchronously; generous deadlines keep slow 2-core machines green.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}; last value: {System.Text.Json.JsonSerializer.Serialize(last)}");
            await Task.Delay(25);
        }
    }
}
