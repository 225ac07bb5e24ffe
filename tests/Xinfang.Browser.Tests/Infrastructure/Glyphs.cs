namespace Xinfang.Browser.Tests;

/// <summary>
/// Whether Chinese is drawn as glyphs or as tofu. Without a CJK font every character is drawn as the same
/// missing-glyph box, and a box still has a width; so each character is drawn alone on a canvas in the
/// element's own font and the bitmaps are compared: real glyphs differ, tofu boxes are all alike.
/// </summary>
public static class Glyphs
{
    const string Script = """
        (element, text) => {
          const family = getComputedStyle(element).fontFamily;
          const canvas = document.createElement('canvas');
          canvas.width = 48; canvas.height = 48;
          const g = canvas.getContext('2d', { willReadFrequently: true });
          return Array.from(text).map(ch => {
            g.clearRect(0, 0, 48, 48);
            g.font = '32px ' + family;
            g.textBaseline = 'top';
            g.fillStyle = '#000';
            g.fillText(ch, 4, 4);
            const alpha = g.getImageData(0, 0, 48, 48).data;
            let ink = 0, hash = 0;
            for (let i = 3; i < alpha.length; i += 4) { if (alpha[i]) ink++; hash = (Math.imul(hash, 31) + alpha[i]) | 0; }
            return ink + ':' + hash;
          });
        }
        """;

    /// <summary>Asserts that each distinct character of <paramref name="text"/> is drawn, and drawn differently, in the element's font.</summary>
    public static async Task ShouldRenderAsync(ILocator element, string text)
    {
        var handle = await element.ElementHandleAsync();
        var chars = new string(text.Distinct().ToArray());
        var prints = await handle.EvaluateAsync<string[]>(Script, chars);
        prints.Length.ShouldBe(chars.Length);
        prints.ShouldAllBe(p => !p.StartsWith("0:", StringComparison.Ordinal), $"every character of \"{chars}\" should leave ink");
        prints.Distinct().Count().ShouldBe(chars.Length, $"the characters of \"{chars}\" are drawn alike: tofu, no font has them (install fonts-noto-cjk)");
    }
}
