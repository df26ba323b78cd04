using Microsoft.AspNetCore.Identity;

namespace WebhookAdmin.Features.Accounts;

public enum PasswordRule { Length, Digit, Lowercase, Uppercase, Symbol, Unique }

/// <summary>
/// Identity's password rules as configured, one by one, so a form can say in plain words (and in the person's
/// language) which ones a password still misses before the service refuses it.
/// </summary>
public static class PasswordRules
{
    public static IReadOnlyList<PasswordRule> Required(PasswordOptions options)
    {
        List<PasswordRule> rules = [PasswordRule.Length];
        if (options.RequireDigit) rules.Add(PasswordRule.Digit);
        if (options.RequireLowercase) rules.Add(PasswordRule.Lowercase);
        if (options.RequireUppercase) rules.Add(PasswordRule.Uppercase);
        if (options.RequireNonAlphanumeric) rules.Add(PasswordRule.Symbol);
        if (options.RequiredUniqueChars > 1) rules.Add(PasswordRule.Unique);
        return rules;
    }

    public static bool Meets(PasswordRule rule, string? password, PasswordOptions options)
    {
        password ??= "";
        return rule switch
        {
            PasswordRule.Length => password.Length >= options.RequiredLength,
            PasswordRule.Digit => password.Any(char.IsAsciiDigit),
            PasswordRule.Lowercase => password.Any(char.IsAsciiLetterLower),
            PasswordRule.Uppercase => password.Any(char.IsAsciiLetterUpper),
            // Identity's own test: anything that is not an ASCII letter or digit.
            PasswordRule.Symbol => password.Any(c => !char.IsAsciiLetterOrDigit(c)),
            PasswordRule.Unique => password.Distinct().Count() >= options.RequiredUniqueChars,
            _ => true,
        };
    }

    public static IReadOnlyList<PasswordRule> Missing(string? password, PasswordOptions options) =>
        Required(options).Where(r => !Meets(r, password, options)).ToList();
}
