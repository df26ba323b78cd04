namespace WebhookAdmin.Hosting.Bench.Ramp;

/// <summary>Where the app under test runs, as the ramp sees it.</summary>
public enum RampHost
{
    /// <summary>Inside the bench process (quick to start; the publisher shares the process).</summary>
    InProcess,

    /// <summary>A child process started from this build on a fresh SQLite file: what a client of a server sees.</summary>
    Process,

    /// <summary>An app already running at <see cref="RampOptions.Target"/>, with an admin token.</summary>
    Remote,
}

/// <summary>
/// The ramp's workload and stages. The defaults are the workload seen from outside in issue 10: 100 webhooks in
/// 10 groups of 10, each group subscribed to one event type in one of 10 projects, so each event matches 10
/// webhooks; one event per request, published open loop at a fixed rate that rises stage by stage.
/// </summary>
public sealed record RampOptions
{
    public int Webhooks { get; init; } = 100;
    public int Groups { get; init; } = 10;
    public int Projects { get; init; } = 10;
    public int EventTypes { get; init; } = 10;
    public int EventsPerRequest { get; init; } = 1;

    /// <summary>
    /// Extra webhooks on every event of every project whose record filter never holds for the ramp's events: each
    /// event then runs this many filters at ingestion and fans out as without them (the cost of matching alone).
    /// </summary>
    public int FilteredWebhooks { get; init; }

    /// <summary>Open loop (true): event i goes at start + i/rate whatever the answers did. Closed: at most <see cref="InFlight"/> requests at once.</summary>
    public bool OpenLoop { get; init; } = true;
    public int InFlight { get; init; } = 64;

    public int StartRate { get; init; } = 250;

    /// <summary>Each stage offers this much more than the previous one.</summary>
    public double Step { get; init; } = 1.25;
    public int MaxStages { get; init; } = 14;
    public TimeSpan StageDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The overload stage offers this multiple of the highest sustained rate.</summary>
    public double Overload { get; init; } = 1.5;

    /// <summary>Before the ramp: this rate for <see cref="LatencyWarmup"/>, then again for a stage, measured.</summary>
    public int LatencyRate { get; init; } = 500;
    public TimeSpan LatencyWarmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The receiver checks both signatures of every delivery (as a careful receiver would: it costs CPU).</summary>
    public bool VerifySignatures { get; init; } = true;

    public RampHost Host { get; init; } = RampHost.Process;
    public string? Target { get; init; }
    public string? TargetToken { get; init; }

    /// <summary>Deliveries per event: the webhooks of one group.</summary>
    public int Fanout => Webhooks / Groups;

    public static RampOptions Quick => new()
    {
        Webhooks = 4, Groups = 2, Projects = 2, EventTypes = 2, StartRate = 20, MaxStages = 2,
        StageDuration = TimeSpan.FromSeconds(1), LatencyRate = 20, LatencyWarmup = TimeSpan.FromMilliseconds(500),
        Host = RampHost.InProcess,
    };

    public const string Usage = """
          ramp options (--scenarios ramp):
          --ramp-host <h>            process (default: the app in its own process), inprocess, or remote
          --target <url>             with --ramp-host remote: the running app; --target-token <wha_…> an admin token
          --ramp-webhooks <n>        webhooks (default 100) in --ramp-groups <n> groups (10); each event matches one group
          --ramp-projects <n>        projects the groups are spread over (10); --ramp-event-types <n> (10)
          --ramp-filtered <n>        also n webhooks on every event whose filter never matches (0): the cost of filters
          --events-per-request <n>   1 posts /api/v1/events; more posts /api/v1/events/batch (default 1)
          --closed-loop              at most --in-flight <n> requests at once (64) instead of a fixed rate
          --ramp-start <events/s>    first stage's rate (250); --ramp-step <x> growth per stage (1.25)
          --ramp-stages <n>          at most this many stages (14); --stage-seconds <s> (15)
          --overload <x>             the overload stage offers x × the highest sustained rate (1.5)
          --latency-rate <events/s>  the latency stage before the ramp (500, after a 10 s warm-up)
          --no-verify                the receiver does not check signatures
        """;

    public static RampOptions Parse(OptionValues values)
    {
        var o = values.Has("quick") ? Quick : new RampOptions();
        return o with
        {
            Webhooks = values.Int("ramp-webhooks", o.Webhooks),
            Groups = values.Int("ramp-groups", o.Groups),
            Projects = values.Int("ramp-projects", o.Projects),
            EventTypes = values.Int("ramp-event-types", o.EventTypes),
            EventsPerRequest = values.Int("events-per-request", o.EventsPerRequest),
            FilteredWebhooks = values.Int("ramp-filtered", o.FilteredWebhooks),
            OpenLoop = !values.Has("closed-loop"),
            InFlight = values.Int("in-flight", o.InFlight),
            StartRate = values.Int("ramp-start", o.StartRate),
            Step = values.Double("ramp-step", o.Step),
            MaxStages = values.Int("ramp-stages", o.MaxStages),
            StageDuration = values.Seconds("stage-seconds", o.StageDuration),
            Overload = values.Double("overload", o.Overload),
            LatencyRate = values.Int("latency-rate", o.LatencyRate),
            VerifySignatures = !values.Has("no-verify"),
            Host = values.Text("ramp-host") is { } host ? Enum.Parse<RampHost>(host, ignoreCase: true) : o.Host,
            Target = values.Text("target"),
            TargetToken = values.Text("target-token"),
        };
    }
}
