using System.Collections.Frozen;
using Callback.Domain.Identity;
using Microsoft.AspNetCore.Identity;

namespace Callback.Web.Security;

/// <summary>
/// Refuses the passwords attackers try first. Length alone lets "azertyuiop123" through; the shipped list (the 5,000
/// most frequent leaked passwords and every 12-character one of zxcvbn-ts's 49,000, MIT, plus French classics) does not.
/// The comparison ignores case, because guessing tools try every casing of these words anyway.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ApplicationUser>
{
    public const string ErrorCode = "CommonPassword";

    private static readonly Lazy<FrozenSet<string>> Common = new(Load);

    public static bool IsCommon(string password) =>
        Common.Value.Contains(password.Trim().ToLowerInvariant());

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(password is not null && IsCommon(password)
            ? IdentityResult.Failed(new IdentityError { Code = ErrorCode, Description = "This password is among the most common ones: choose another." })
            : IdentityResult.Success);

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("Callback.Web.Security.common-passwords.txt")
            ?? throw new InvalidOperationException("The common password list is not embedded in Callback.Web.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                words.Add(line);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
