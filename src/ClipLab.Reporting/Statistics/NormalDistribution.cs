namespace ClipLab.Reporting.Statistics;

/// <summary>Tail probabilities of the standard normal distribution, accurate to about 1e-13 relative error.</summary>
/// <remarks>
/// Q(z) = P(Z &gt; z) = erfc(z / sqrt(2)) / 2. For 0 &lt;= x &lt; 2.5, erfc(x) = 1 - erf(x) with the
/// series erf(x) = 2 / sqrt(pi) * exp(-x^2) * sum_n 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)), whose
/// terms are all positive, so nothing cancels. For x &gt;= 2.5 the continued fraction
/// erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))
/// avoids the cancellation of 1 - erf(x) in the far tail. erfc(-x) = 2 - erfc(x).
/// </remarks>
public static class NormalDistribution
{
    private const double SeriesLimit = 2.5;
    private const int MaxIterations = 500;

    /// <summary>Returns P(Z &gt; <paramref name="z"/>) for a standard normal Z.</summary>
    /// <param name="z">Any value; NaN gives NaN, +infinity gives 0, -infinity gives 1.</param>
    /// <returns>The upper tail probability in [0, 1].</returns>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>Returns the complementary error function erfc(x) = 1 - erf(x).</summary>
    /// <param name="x">Any value; NaN gives NaN.</param>
    /// <returns>erfc(x) in [0, 2].</returns>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        return x < SeriesLimit ? 1 - ErfSeries(x) : ErfcContinuedFraction(x);
    }

    private static double ErfSeries(double x)
    {
        // term_n = 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)), so term_n = term_(n-1) * 2 x^2 / (2n+1)
        double twoXSquared = 2 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < MaxIterations && term > sum * 1e-17; n++)
        {
            term *= twoXSquared / ((2 * n) + 1);
            sum += term;
        }

        return 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    private static double ErfcContinuedFraction(double x)
    {
        // modified Lentz evaluation of K = x + a1 / (x + a2 / (x + ...)) with a_i = i / 2
        const double Tiny = 1e-300;
        double fraction = x;
        double c = x;
        double d = 0;
        for (int i = 1; i < MaxIterations; i++)
        {
            double a = i / 2.0;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = c * d;
            fraction *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * fraction);
    }
}
