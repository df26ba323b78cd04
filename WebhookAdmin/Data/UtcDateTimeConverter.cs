using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookAdmin.Data;

/// <summary>
/// Stores UTC as is, and a value of no kind as UTC (PostgreSQL's <c>timestamptz</c> refuses one); marks values read
/// back as UTC.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
