using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WebhookAdmin.Data;

/// <summary>Stores UTC as is and marks values read back as UTC.</summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value,
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
