namespace WebhookAdmin.Hosting.Bench;

/// <summary>The <c>bench</c> command. The load benchmark lands with issue #4; until then it says so plainly.</summary>
public static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("bench: not built yet (see the README's roadmap).");
        return Task.FromResult(3);
    }
}
