namespace Xinfang.Domain.Measures;

/// <summary>An unusual rise (形势研判): this week's count against the mean of the weeks before.</summary>
public sealed record Rise(long ThisWeek, double Baseline, double PValue);

/// <summary>
/// Early warning by a one-sided Poisson test: with λ the mean weekly count of the previous k weeks, the chance of
/// seeing at least x this week is P(X ≥ x) = 1 − Σ_{i&lt;x} e^{−λ} λ^i / i!. A small p-value says the rise is
/// unlikely to be chance. λ is floored at <see cref="MinimumBaseline"/> so a first occurrence is not "infinitely"
/// unusual, and fewer than <c>minimumCount</c> matters never alert.
/// </summary>
public static class PoissonRise
{
    public const double MinimumBaseline = 0.5;

    /// <summary>P(X ≥ x) for X ~ Poisson(λ), computed in log space (stable for large counts).</summary>
    public static double UpperTail(long x, double lambda)
    {
        if (x <= 0) return 1;
        if (lambda <= 0) return 0;
        // Σ_{i<x} terms, each exp(i ln λ − λ − ln i!).
        double sum = 0, logTerm = -lambda;
        for (long i = 0; i < x; i++)
        {
            if (i > 0) logTerm += Math.Log(lambda) - Math.Log(i);
            sum += Math.Exp(logTerm);
        }
        return Math.Clamp(1 - sum, 0, 1);
    }

    /// <summary>The rise, when this week's count is unusual at <paramref name="threshold"/>; else null.</summary>
    public static Rise? Test(long thisWeek, IReadOnlyList<long> previousWeeks, double threshold, long minimumCount)
    {
        if (previousWeeks.Count == 0 || thisWeek < minimumCount) return null;
        var baseline = previousWeeks.Average();
        if (thisWeek <= baseline) return null;
        var p = UpperTail(thisWeek, Math.Max(baseline, MinimumBaseline));
        return p < threshold ? new Rise(thisWeek, Math.Round(baseline, 2), p) : null;
    }
}
