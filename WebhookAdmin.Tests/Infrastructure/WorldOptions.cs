using Microsoft.Extensions.DependencyInjection;

namespace WebhookAdmin.Tests.Infrastructure;

/// <summary>
/// How a test's <see cref="DeliveryWorld"/> differs from the plain one: its settings, its clock, its organization.
/// </summary>
public sealed record WorldOptions
{
    /// <summary>
    /// Long enough that the safety-net poll never runs during a test, even one that moves its clock by hours: every
    /// send must then come from the engine's own wake-ups (ingestion, completions, the retry timer), which is what the
    /// tests check. (An hour was not: a retry capped at one hour fell due on the poll's own time, see
    /// <see cref="DeliveryWorld"/>'s settings.)
    /// </summary>
    public const string NoPoll = "1000.00:00:00";

    /// <summary>The real clock, the default settings, company <c>acme</c> with project <c>p1</c>.</summary>
    public static WorldOptions Default { get; } = new();

    /// <summary>Time moves only when the test moves it, and no safety-net poll hides a missing wake-up.</summary>
    public static WorldOptions FakeClockNoPoll { get; } = new WorldOptions { FakeClock = true }.With("Delivery:PollInterval", NoPoll);

    /// <summary>A fake clock that starts at the real "now", so signatures stay within a verifier's tolerance.</summary>
    public bool FakeClock { get; init; }

    /// <summary>App settings over <see cref="TestApp"/>'s.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>
    /// An existing database to start on (a restart), owned by the test (<see cref="WorldTests.NewDatabase"/>); the world's
    /// own new one when null.
    /// </summary>
    public TestDatabase? Database { get; init; }

    /// <summary>Seeded through the API at start; null for none (a restart on a database that has it).</summary>
    public SeedProject? Organization { get; init; } = SeedProject.Small;

    /// <summary>A receiver that outlives the world (across a restart); the world starts and owns one when null.</summary>
    public TestReceiver? Receiver { get; init; }

    public WorldOptions With(string setting, string? value) =>
        this with { Settings = new Dictionary<string, string?>(Settings) { [setting] = value } };
}
