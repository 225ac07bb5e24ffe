using Xinfang.Domain.Petitions;

namespace Xinfang.Domain.Tests.Petitions;

/// <summary>GB 11643-1999 resident identity numbers: 17 digits and an ISO 7064 MOD 11-2 check character.</summary>
public class ResidentIdTests
{
    /// <summary>
    /// The check character computed independently of the production table: weight of position i (1-based)
    /// is 2^(18-i) mod 11; check value = (12 - sum mod 11) mod 11, with 10 written as X.
    /// </summary>
    static char Check(string first17)
    {
        var sum = 0;
        for (var i = 1; i <= 17; i++)
        {
            var weight = 1;
            for (var k = 0; k < 18 - i; k++) weight = weight * 2 % 11;
            sum += (first17[i - 1] - '0') * weight;
        }
        var value = (12 - sum % 11) % 11;
        return value == 10 ? 'X' : (char)('0' + value);
    }

    static string WithCheck(string first17) => first17 + Check(first17);

    [Fact]
    public void CheckHelper_KnownPublicExample_GivesX()
    {
        Check("11010519491231002").ShouldBe('X');
    }

    [Theory]
    [InlineData("11010519491231002X")] // the standard's own example
    [InlineData("11010519491231002x")] // lowercase x accepted
    public void IsValid_KnownValidNumber_True(string id)
    {
        ResidentId.IsValid(id).ShouldBeTrue();
    }

    [Theory]
    [InlineData("32048119900228001")]
    [InlineData("44030619851012452")]
    [InlineData("11010120000229123")] // 2000-02-29: leap year
    [InlineData("65010219991231999")]
    [InlineData("11010519000101000")] // 1900-01-01, the earliest birth date accepted
    public void IsValid_SeventeenDigitsWithComputedCheck_True(string first17)
    {
        var id = WithCheck(first17);

        ResidentId.IsValid(id).ShouldBeTrue(id);
        ResidentId.CheckCharacter(first17).ShouldBe(Check(first17));
    }

    [Theory]
    [InlineData("32048119900228001")]
    [InlineData("11010519491231002")]
    public void IsValid_WrongCheckCharacter_False(string first17)
    {
        var right = Check(first17);
        foreach (var wrong in "0123456789X".Where(c => c != right))
            ResidentId.IsValid(first17 + wrong).ShouldBeFalse(first17 + wrong);
    }

    [Theory]
    [InlineData("11010119900229123")] // 1990 is not a leap year
    [InlineData("11010119901301123")] // month 13
    [InlineData("11010119900431123")] // April 31
    [InlineData("11010119900000123")] // month and day 00
    [InlineData("11010118991231123")] // before 1900
    public void IsValid_ChecksumRightButBirthDateImpossible_False(string first17)
    {
        ResidentId.IsValid(WithCheck(first17)).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("11010519491231002")]   // 17
    [InlineData("11010519491231002X0")] // 19
    [InlineData("110105491231002")]     // a 15-digit first-generation number
    public void IsValid_WrongLength_False(string? id)
    {
        ResidentId.IsValid(id).ShouldBeFalse();
    }

    [Theory]
    [InlineData("1101051949123100XX")]
    [InlineData("11010519491231A02X")]
    [InlineData("１１０１０５１９４９１２３１００２X")] // full-width digits
    public void IsValid_NonDigitInFirstSeventeen_False(string id)
    {
        ResidentId.IsValid(id).ShouldBeFalse();
    }

    [Fact]
    public void Mask_EighteenCharacters_KeepsFirstSixAndLastFour()
    {
        ResidentId.Mask("11010519491231002X").ShouldBe("110105********002X");
    }

    [Theory]
    [InlineData("1234567890", "**********")]
    [InlineData("12345", "*****")]
    [InlineData("12345678901", "123456*8901")]
    public void Mask_ShortValues_NeverRevealMoreThanFirstSixAndLastFour(string id, string masked)
    {
        ResidentId.Mask(id).ShouldBe(masked);
    }
}
