using Microsoft.AspNetCore.Identity;

namespace Xinfang.Web.Identity;

/// <summary>
/// The password policy (issue #8; GB/T 22239-2019 8.1.4.1 身份鉴别: passwords of sufficient complexity): at least
/// Auth:PasswordMinLength characters (10) and at least three of the four character classes — lower-case letters,
/// upper-case letters, digits, symbols. Replaces Identity's fixed Require* rules, which demand every class.
/// </summary>
public sealed class PasswordPolicy(IConfiguration config) : IPasswordValidator<StaffUser>
{
    public const string TooShort = "PasswordTooShort";
    public const string TooFewClasses = "PasswordTooFewCharacterClasses";
    public const int RequiredClasses = 3;

    public int MinLength => config.GetValue("Auth:PasswordMinLength", 10);

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        password ??= "";
        var errors = new List<IdentityError>();
        if (password.Length < MinLength) errors.Add(new IdentityError { Code = TooShort, Description = $"密码长度至少{MinLength}位" });
        if (Classes(password) < RequiredClasses)
            errors.Add(new IdentityError { Code = TooFewClasses, Description = "密码须包含大写字母、小写字母、数字、符号中的至少三类" });
        return Task.FromResult(errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]));
    }

    /// <summary>How many of the four classes occur. Letters outside ASCII (汉字) count as symbols: they widen the alphabet alike.</summary>
    public static int Classes(string password)
    {
        bool lower = false, upper = false, digit = false, symbol = false;
        foreach (var c in password)
        {
            if (char.IsAsciiLetterLower(c)) lower = true;
            else if (char.IsAsciiLetterUpper(c)) upper = true;
            else if (char.IsAsciiDigit(c)) digit = true;
            else if (!char.IsWhiteSpace(c) && !char.IsControl(c)) symbol = true;
        }
        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
    }
}
