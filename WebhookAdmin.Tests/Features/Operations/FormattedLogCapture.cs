using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace WebhookAdmin.Tests.Features.Operations;

/// <summary>
/// A logger provider that writes every entry, at every level it is let through, with the console formatter the
/// app is configured with (<c>Logging:Console:FormatterName</c>): exactly the text the console would show,
/// without sharing the test process's console with other tests.
/// </summary>
public sealed class FormattedLogCapture(IEnumerable<ConsoleFormatter> formatters, IOptionsMonitor<ConsoleLoggerOptions> console)
    : ILoggerProvider, ISupportExternalScope
{
    private readonly StringBuilder _text = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConsoleFormatter Formatter { get; } = formatters.Single(f => f.Name == (console.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple));

    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var writer = new StringWriter();
        Formatter.Write(in entry, _scopes, writer);
        lock (_text) _text.Append(writer);
    }

    private sealed class Logger(FormattedLogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}
