using Xinfang.Domain.Petitions;
using Xinfang.Web.Intake;

namespace Xinfang.Web.Petitions;

/// <summary>A workflow step's body turned into a domain command, or the field errors that prevent it.</summary>
public readonly record struct StepInput(PetitionCommand? Command, Dictionary<string, string[]> Errors)
{
    public static StepInput Ok(PetitionCommand command) => new(command, []);

    public static StepInput Check(Func<PetitionCommand> make, params (bool Bad, string Field, string Message)[] checks)
    {
        var errors = checks.Where(c => c.Bad).GroupBy(c => c.Field).ToDictionary(g => g.Key, g => g.Select(c => c.Message).ToArray());
        return errors.Count > 0 ? new StepInput(null, errors) : Ok(make());
    }

    public static Decision? DecisionOf(string? s) => RegisterPetition.ParseEnum<Decision>(s);

    /// <summary>Reasons and notes; a written opinion's text may be longer (19,000).</summary>
    public const int MaxText = 5000;
    public const string TooLong = "内容不超过5000字，更多材料请作为附件";

    public const string DecisionMessage = "处理意见应为 support（予以支持）、explain（解释说明）或 notSupport（不予支持）（条例第三十二条）";
}
