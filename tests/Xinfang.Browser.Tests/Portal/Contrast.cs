using System.Globalization;
using System.Text.RegularExpressions;

namespace Xinfang.Browser.Tests.Portal;

/// <summary>
/// WCAG 2.1 contrast from the colours Chromium computed: relative luminance of sRGB colours and the
/// (L1 + 0.05) / (L2 + 0.05) ratio, with an element's background found by walking up to the first opaque one
/// (semi-transparent layers are composited on the way down).
/// </summary>
public static partial class Contrast
{
    public const double TextAA = 4.5;
    public const double NonTextAA = 3.0;

    public readonly record struct Rgba(double R, double G, double B, double A)
    {
        public override string ToString() => A >= 1
            ? $"#{(int)Math.Round(R):x2}{(int)Math.Round(G):x2}{(int)Math.Round(B):x2}"
            : $"rgba({R:0},{G:0},{B:0},{A:0.##})";
    }

    /// <summary>Parses Chromium's computed colours: "rgb(r, g, b)", "rgba(r, g, b, a)" (also the space-separated forms).</summary>
    public static Rgba Parse(string css)
    {
        var m = RgbPattern().Match(css);
        if (!m.Success) throw new FormatException($"unexpected computed colour \"{css}\"");
        double N(int i) => double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
        return new Rgba(N(1), N(2), N(3), m.Groups[4].Success ? N(4) : 1);
    }

    [GeneratedRegex(@"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+))?\s*\)")]
    private static partial Regex RgbPattern();

    /// <summary>Paints <paramref name="top"/> over <paramref name="bottom"/> (source-over).</summary>
    public static Rgba Over(Rgba top, Rgba bottom)
    {
        if (top.A >= 1) return top;
        var a = top.A + bottom.A * (1 - top.A);
        if (a <= 0) return new Rgba(0, 0, 0, 0);
        double Mix(double t, double b) => (t * top.A + b * bottom.A * (1 - top.A)) / a;
        return new Rgba(Mix(top.R, bottom.R), Mix(top.G, bottom.G), Mix(top.B, bottom.B), a);
    }

    public static double Luminance(Rgba c)
    {
        static double Channel(double v)
        {
            var s = v / 255.0;
            return s <= 0.04045 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(c.R) + 0.7152 * Channel(c.G) + 0.0722 * Channel(c.B);
    }

    public static double Ratio(Rgba a, Rgba b)
    {
        var (l1, l2) = (Luminance(a), Luminance(b));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    /// <summary>
    /// For each element matched by <paramref name="selector"/>: its text, its colour and the background layers
    /// from itself up to the first opaque one (the canvas white when none is).
    /// </summary>
    const string Probe = """
        (elements) => elements.map(el => {
          const alpha = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return 1; const p = m[1].split(/[\s,\/]+/).filter(Boolean); return p.length > 3 ? parseFloat(p[3]) : 1; };
          const layers = [];
          for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
            const bg = getComputedStyle(n).backgroundColor;
            layers.push(bg);
            if (alpha(bg) >= 1) break;
          }
          layers.push('rgb(255, 255, 255)');
          return { text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 24),
                   color: getComputedStyle(el).color, layers, visible: el.getClientRects().length > 0 };
        })
        """;

    public sealed record Sample(string Selector, string Text, Rgba Color, Rgba Background, double Ratio)
    {
        public override string ToString() => $"{Selector} \"{Text}\": {Color} on {Background} = {Ratio:0.00}:1";
    }

    public sealed class Probed
    {
        public string Text { get; set; } = "";
        public string Color { get; set; } = "";
        public string[] Layers { get; set; } = [];
        public bool Visible { get; set; }
    }

    /// <summary>The contrast of every visible element matching each selector; a selector matching nothing visible fails, so a renamed class is noticed.</summary>
    public static async Task<IReadOnlyList<Sample>> MeasureAsync(IPage page, params string[] selectors)
    {
        var samples = new List<Sample>();
        foreach (var selector in selectors)
        {
            var probed = await page.Locator(selector).EvaluateAllAsync<Probed[]>(Probe);
            var visible = probed.Where(p => p.Visible).ToList();
            visible.ShouldNotBeEmpty($"{page.Url}: nothing visible matches \"{selector}\"");
            foreach (var p in visible)
            {
                var background = p.Layers.Select(Parse).Reverse().Aggregate(new Rgba(255, 255, 255, 1), (under, layer) => Over(layer, under));
                var color = Over(Parse(p.Color), background);
                samples.Add(new Sample(selector, p.Text, color, background, Ratio(color, background)));
            }
        }
        return samples;
    }
}
