namespace WebhookAdmin.Features.Webhooks.Pages;

/// <summary>
/// Ready-to-paste receiver code that checks both signature headers, in C#, Node.js and Python. The code lives
/// in Snippets/*.snippet (embedded): the tests compile the C# verifier and run the Node.js and Python ones
/// against real signed deliveries, so what people paste is known to work.
/// </summary>
public static class VerificationSnippets
{
    public sealed record Snippet(string Language, string Label, string Verifier, string Server)
    {
        public string Code => Verifier + Server;
    }

    public static Snippet CSharp { get; } = new("csharp", "C#", Read("WebhookSignature.cs"), Read("Endpoint.cs"));
    public static Snippet Node { get; } = new("javascript", "Node.js", Read("verify.js"), Read("server.js"));
    public static Snippet Python { get; } = new("python", "Python", Read("verify.py"), Read("server.py"));

    public static IReadOnlyList<Snippet> All { get; } = [CSharp, Node, Python];

    private static string Read(string name)
    {
        using var stream = typeof(VerificationSnippets).Assembly.GetManifestResourceStream($"Snippets.{name}.snippet")
                           ?? throw new InvalidOperationException($"The snippet {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
