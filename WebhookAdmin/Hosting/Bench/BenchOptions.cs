using WebhookAdmin.Data;

namespace WebhookAdmin.Hosting.Bench;

/// <summary>The bench command's options (README, "Performance"). <c>--quick</c> shrinks everything for a smoke run.</summary>
public sealed record BenchOptions
{
    public int Rate { get; init; } = 500;
    public int Webhooks { get; init; } = 10;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Per-scenario warm-up, before measuring.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Before any scenario: load the process until the JIT has tiered the hot paths up (all scenarios run in
    /// this one process, so they share the compiled code). A server is measured in its steady state.
    /// </summary>
    public TimeSpan ProcessWarmup { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan ThroughputDuration { get; init; } = TimeSpan.FromSeconds(30);
    public int Concurrency { get; init; } = 64;
    public int FanOut { get; init; } = 1000;
    public int Drain { get; init; } = 100_000;
    public int LogAttempts { get; init; } = 1_000_000;
    public int RetentionAttempts { get; init; } = 1_000_000;

    /// <summary>Length of the retention scenario's steady-state run (its retention is a sixth of it).</summary>
    public TimeSpan RetentionSoak { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Delivery:Timeout for the apps the bench starts; null keeps the product default (7 s).</summary>
    public TimeSpan? DeliveryTimeout { get; init; }
    public bool Json { get; init; }
    public string? Chart { get; init; }
    public IReadOnlySet<string> Scenarios { get; init; } = AllScenarios;

    /// <summary>What every scenario's fresh database is: a SQLite file, or a PostgreSQL database on <see cref="Postgres"/>.</summary>
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>An Npgsql connection string without a database: the server the bench makes its databases on.</summary>
    public string Postgres { get; init; } = DefaultPostgres;

    /// <summary>App instances on the one database (PostgreSQL only), each sent a share of the events in turn.</summary>
    public int Instances { get; init; } = 1;

    /// <summary><c>--compare-databases</c>: the ramp on SQLite × 1, PostgreSQL × 1 and × <see cref="CompareInstances"/>, nothing else.</summary>
    public bool CompareDatabases { get; init; }
    public int CompareInstances { get; init; } = 3;

    public const string PostgresVariable = "WEBHOOKADMIN_BENCH_POSTGRES";

    public static string DefaultPostgres =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : "Host=127.0.0.1;Port=5432;Username=postgres";

    /// <summary>The ramp's workload and stages (<c>--scenarios ramp</c>).</summary>
    public Ramp.RampOptions Ramp { get; init; } = new();

    public static readonly IReadOnlySet<string> AllScenarios =
        new HashSet<string> { "latency", "throughput", "fanout", "drain", "isolation", "log", "retention", "ramp" };

    public static BenchOptions Quick => new()
    {
        Rate = 50, Webhooks = 2, Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromMilliseconds(200), ProcessWarmup = TimeSpan.Zero,
        ThroughputDuration = TimeSpan.FromSeconds(2), FanOut = 20, Drain = 500, LogAttempts = 2_000,
        RetentionAttempts = 2_000, RetentionSoak = TimeSpan.FromSeconds(6),
        DeliveryTimeout = TimeSpan.FromSeconds(1), Ramp = WebhookAdmin.Hosting.Bench.Ramp.RampOptions.Quick,
    };

    public const string Usage = """
        Usage: dotnet run -c Release --project WebhookAdmin -- bench [options]
          --rate <events/s>          steady publishing rate for latency and isolation (default 500)
          --webhooks <n>             matching webhooks per event (default 10)
          --duration <seconds>       measured time of the latency and isolation runs (default 10)
          --throughput-seconds <s>   length of the sustained-throughput run (default 30)
          --warmup <seconds>         load before any measurement, so the JIT reaches steady state (default 20)
          --concurrency <n>          Delivery:MaxConcurrency, also the baseline's concurrency (default 64)
          --fanout <n>               webhooks for the fan-out run (default 1000)
          --drain <n>                pending deliveries for the backlog-drain run (default 100000)
          --log-attempts <n>         attempts in the database for the log-query run (default 1000000)
          --retention-attempts <n>   expired attempts the retention run purges under load (default 1000000)
          --retention-soak <s>       steady-state run with the purge on its schedule (default 90)
          --scenarios a,b            any of latency,throughput,fanout,drain,isolation,log,retention,ramp (default: all)
          --database <d>             sqlite (default: a fresh file per scenario) or postgres (a fresh database per scenario)
          --postgres <conn>          the PostgreSQL server, an Npgsql connection string without a database (default:
                                     $WEBHOOKADMIN_BENCH_POSTGRES, else Host=127.0.0.1;Port=5432;Username=postgres)
          --instances <n>            app instances on the one database, events sent to each in turn (default 1; postgres only)
          --compare-databases        only the ramp, on sqlite × 1, postgres × 1 and postgres × --compare-instances <n> (3),
                                     one baseline; the latency stage at 250 events/s unless --latency-rate says otherwise
          --quick                    tiny numbers: proves the bench works in seconds
          --chart <file.png>         also draw the latency and throughput chart (needs Chromium)
          --json                     print one JSON object instead of the table
        """ + "\n" + WebhookAdmin.Hosting.Bench.Ramp.RampOptions.Usage;

    public static BenchOptions Parse(string[] args)
    {
        var map = CommandLine.ParseOptions(args);
        var values = new OptionValues(map);
        var options = values.Has("quick") ? Quick : new BenchOptions();
        var compare = values.Has("compare-databases");
        var ramp = WebhookAdmin.Hosting.Bench.Ramp.RampOptions.Parse(values);
        // The latency figure is at 250 events/s × 10; a quick run keeps its own tiny rate.
        if (compare && !values.Has("latency-rate") && !values.Has("quick")) ramp = ramp with { LatencyRate = 250 };
        int Int(string key, int fallback) => values.Int(key, fallback);
        TimeSpan Seconds(string key, TimeSpan fallback) => values.Seconds(key, fallback);
        var parsed = options with
        {
            Rate = Int("rate", options.Rate),
            Webhooks = Int("webhooks", options.Webhooks),
            Duration = Seconds("duration", options.Duration),
            ThroughputDuration = Seconds("throughput-seconds", options.ThroughputDuration),
            ProcessWarmup = Seconds("warmup", options.ProcessWarmup),
            Concurrency = Int("concurrency", options.Concurrency),
            FanOut = Int("fanout", options.FanOut),
            Drain = Int("drain", options.Drain),
            LogAttempts = Int("log-attempts", options.LogAttempts),
            RetentionAttempts = Int("retention-attempts", options.RetentionAttempts),
            RetentionSoak = Seconds("retention-soak", options.RetentionSoak),
            Ramp = ramp,
            Database = values.Text("database") is { } database ? ParseDatabase(database) : options.Database,
            Postgres = values.Text("postgres") ?? options.Postgres,
            Instances = Int("instances", options.Instances),
            CompareDatabases = compare,
            CompareInstances = Int("compare-instances", options.CompareInstances),
            Json = map.ContainsKey("json"),
            Chart = map.GetValueOrDefault("chart"),
            Scenarios = map.TryGetValue("scenarios", out var list)
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet()
                : AllScenarios,
        };
        return parsed.Checked();
    }

    private static DatabaseProvider ParseDatabase(string value) => value.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" => DatabaseProvider.Postgres,
        _ => throw new ArgumentException($"--database must be sqlite or postgres, not '{value}'"),
    };

    /// <summary>Several instances need one database they can share: a SQLite file belongs to one process.</summary>
    private BenchOptions Checked()
    {
        if (Instances < 1 || CompareInstances < 1) throw new ArgumentException("--instances and --compare-instances must be at least 1");
        if (Instances > 1 && Database != DatabaseProvider.Postgres)
            throw new ArgumentException("--instances above 1 needs --database postgres: a SQLite file is one process's (ADR-020)");
        if (Instances > 1 && Ramp.Host == WebhookAdmin.Hosting.Bench.Ramp.RampHost.Remote)
            throw new ArgumentException("--instances above 1 starts the apps itself: not with --ramp-host remote");
        return this;
    }
}
