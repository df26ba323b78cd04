using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>
/// Draws the README's chart: latency percentiles, and throughput against the baseline, as SVG in an HTML
/// page that headless Chromium turns into a PNG (no drawing library needed).
/// </summary>
public static class BenchChart
{
    private static readonly string[] ChromiumPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static async Task WriteAsync(BenchReport report, string pngPath, TextWriter log)
    {
        // dotnet run starts the app in the project's folder: a relative path is relative to WebhookAdmin/.
        pngPath = Path.GetFullPath(pngPath);
        Directory.CreateDirectory(Path.GetDirectoryName(pngPath)!);
        var html = Path.ChangeExtension(pngPath, ".html");
        var height = Height(report);
        await File.WriteAllTextAsync(html, Html(report, height));
        var chromium = ChromiumPaths.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            log.WriteLine($"chart: no Chromium found; the chart is at {html}");
            return;
        }
        var start = new ProcessStartInfo(chromium,
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--window-size=960,{height}",
             $"--screenshot={Path.GetFullPath(pngPath)}", new Uri(html).AbsoluteUri])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        File.Delete(html);
        log.WriteLine($"chart: {pngPath}");
    }

    /// <summary>Tall enough for the longest panel: the ramp has a bar per stage.</summary>
    private static int Height(BenchReport report) =>
        report.Ramp is { } ramp && report.Latency is null ? Math.Max(330, 62 + (ramp.Stages.Count + 1) * 58 + 20) : 330;

    private static string Html(BenchReport report, int height)
    {
        var svg = new StringBuilder();
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        if (report.Latency is { } l)
        {
            (string Label, double Value)[] bars = [("p50", l.Delivery.P50Ms), ("p95", l.Delivery.P95Ms), ("p99", l.Delivery.P99Ms)];
            if (report.Isolation is { } i) bars = [.. bars, ("p99 with a hanging and a failing receiver", i.Healthy.P99Ms)];
            svg.Append(Bars("Latency, accepted → at the receiver", $"{l.Rate} events/s × {l.Webhooks} webhooks", bars, 20, 10, v => F(v) + " ms"));
        }
        if (report.Throughput is { } t)
            svg.Append(Bars("Deliveries per second", $"sustained 30 s; WebhookAdmin = {t.Ratio:P0} of the baseline",
                [("WebhookAdmin (signed, every attempt stored)", t.DeliveriesPerSecond), ("plain HttpClient, same bodies and receiver", t.BaselinePerSecond)],
                null, 490, v => v.ToString("#,0", CultureInfo.InvariantCulture) + "/s"));
        if (report.Ramp is { } ramp && report.Latency is null && report.Throughput is null)
        {
            static string PerSecond(double v) => v.ToString("#,0", CultureInfo.InvariantCulture) + "/s";
            (string, double)[] stages = [.. ramp.Stages.Select(st => ($"{st.OfferedDeliveriesPerSecond:#,0}/s offered{(st.Sustained ? "" : ", not sustained")}", st.DeliveredPerSecond)),
                .. ramp.Overload is { } o ? [($"overload, {o.OfferedDeliveriesPerSecond:#,0}/s offered", o.DeliveredPerSecond)] : Array.Empty<(string, double)>()];
            svg.Append(Bars("Ramp: delivered per second, stage by stage", $"app {ramp.Host}; publisher and receiver in the bench process", stages, null, 10, PerSecond));
            svg.Append(Bars("Maximum sustained against bare HTTP", $"{ramp.Ratio:P1} of the baseline of the same run",
                [("WebhookAdmin, max sustained (signed, every attempt stored)", ramp.MaxSustainedPerSecond), ("plain HttpClient, same receiver", ramp.BaselinePerSecond)],
                null, 490, PerSecond));
        }
        return $$"""
            <!doctype html><html><head><meta charset="utf-8"><style>
            body { margin: 0; font-family: DejaVu Sans, Arial, sans-serif; background: #fff; }
            text { font-size: 13px; fill: #263238; } .title { font-size: 15px; font-weight: bold; }
            </style></head><body><svg width="960" height="{{height}}" xmlns="http://www.w3.org/2000/svg">{{svg}}</svg></body></html>
            """;
    }

    private static string Bars(string title, string subtitle, (string Label, double Value)[] bars, double? target, int x, Func<double, string> label)
    {
        const int width = 400, top = 62, barHeight = 36, gap = 22, labelWidth = 0;
        static string format(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var max = Math.Max(bars.Max(b => b.Value), target ?? 0) * 1.15;
        var scale = (width - 20) / (max <= 0 ? 1 : max);
        var svg = new StringBuilder($"""<text class="title" x="{x}" y="24">{Escape(title)}</text><text x="{x}" y="44" style="fill:#607d8b">{Escape(subtitle)}</text>""");
        for (var i = 0; i < bars.Length; i++)
        {
            var y = top + i * (barHeight + gap);
            var length = Math.Max(2, bars[i].Value * scale);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x}" y="{y + 12}">{Escape(bars[i].Label)}</text>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x + labelWidth}" y="{y + 18}" width="{format(length)}" height="{barHeight - 14}" fill="{(i == 0 ? "#1e88e5" : "#90caf9")}" rx="3"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{format(x + labelWidth + length + 6)}" y="{y + 34}">{Escape(label(bars[i].Value))}</text>""");
        }
        if (target is { } goal)
        {
            var tx = x + labelWidth + goal * scale;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{format(tx)}" y1="{top}" x2="{format(tx)}" y2="{top + bars.Length * (barHeight + gap)}" stroke="#e53935" stroke-dasharray="4 3"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{format(tx + 4)}" y="{top + bars.Length * (barHeight + gap) + 4}" style="fill:#e53935">p99 target {format(goal)} ms</text>""");
        }
        return svg.ToString();
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
