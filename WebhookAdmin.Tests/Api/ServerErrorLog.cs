using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace WebhookAdmin.Tests.Api;

/// <summary>
/// Records every 5xx the app answers (outermost middleware, so after its own exception handling), so a
/// test class can insist its requests caused none: "never a 500" checked for every request, not only
/// where a test looks at the status.
/// </summary>
public sealed class ServerErrorLog
{
    private readonly ConcurrentQueue<string> _errors = new();

    public void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter>(new Recorder(this));

    /// <summary>Fails with every 5xx seen since the last call, and forgets them.</summary>
    public void AssertNone()
    {
        var seen = new List<string>();
        while (_errors.TryDequeue(out var error)) seen.Add(error);
        Assert.True(seen.Count == 0, "The app answered 5xx: " + string.Join("; ", seen));
    }

    private sealed class Recorder(ServerErrorLog log) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                try
                {
                    await inner();
                }
                catch (Exception e)
                {
                    log._errors.Enqueue($"{context.Request.Method} {context.Request.Path} threw {e.GetType().Name}: {e.Message}");
                    throw;
                }
                if (context.Response.StatusCode >= 500)
                    log._errors.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} → {context.Response.StatusCode}");
            });
            next(app);
        };
    }
}
