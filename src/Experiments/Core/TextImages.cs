using SkiaSharp;

namespace FourierRepro.Experiments.Core;

// Stand-ins for the paper's "Text" dataset (randomly generated text images; the generator is not public): random
// strings in random fonts, sizes, colours and positions on a plain background, rendered with SkiaSharp from font
// files (never the machine's installed fonts), deterministically from an Rng.
// Sizes are in pixels of the image, whatever its side, and the number of strings grows with the area: a 128-pixel
// image looks like a 128-pixel piece of a 512-pixel one, with strokes a few pixels wide. (Drawing a 512 layout
// shrunk to 64 pixels would leave strokes thinner than the training grid's spacing, and no mapping could recover
// them: measured at 64² over 2 images, no mapping 18.1 dB test PSNR, positional encoding 17.5, Gaussian 17.3.)
public static class TextImages
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:!?&-";
    const double MinTextSize = 20, MaxTextSize = 64;  // pixels (em size): strokes of ~2-8 pixels

    // `fontFiles`: paths of .ttf/.otf files; a missing or unreadable one is an ImageLoadException naming it.
    public static SquareImage Generate(string name, int size, Rng rng, IReadOnlyList<string> fontFiles)
    {
        if (fontFiles.Count == 0) throw new ArgumentException("text images need at least one font file");
        var typefaces = fontFiles.Select(LoadTypeface).ToList();
        try
        {
            using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul))
                ?? throw new InvalidOperationException($"SkiaSharp could not create a {size}x{size} surface");
            var canvas = surface.Canvas;
            var background = RandomColour(rng);
            canvas.Clear(background);

            // 12..24 strings on 512 × 512 pixels, in proportion to the area on other sizes (the same density of
            // text), at least 2.
            int lines = Math.Max(2, (int)Math.Round(rng.Uniform(12, 24) * size * size / (512.0 * 512.0)));
            for (int i = 0; i < lines; i++)
            {
                int length = 3 + (int)(rng.NextDouble() * 12);           // 3..14 characters
                var text = new string(Enumerable.Range(0, length).Select(_ => Alphabet[(int)(rng.NextDouble() * Alphabet.Length)]).ToArray());
                var typeface = typefaces[(int)(rng.NextDouble() * typefaces.Count)];
                float textSize = (float)rng.Uniform(MinTextSize, MaxTextSize);
                float x = (float)rng.Uniform(-0.1 * size, 0.8 * size);   // may start or run off an edge
                float y = (float)rng.Uniform(0.6 * textSize, size + 0.2 * textSize); // baseline
                var colour = ContrastingColour(rng, background);
                using var font = new SKFont(typeface, textSize) { Edging = SKFontEdging.Antialias, Subpixel = true };
                using var paint = new SKPaint { Color = colour, IsAntialias = true };
                canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
            }
            canvas.Flush();
            using var image = surface.Snapshot();
            using var bitmap = SKBitmap.FromImage(image);
            var bytes = bitmap.GetPixelSpan();
            var rgb = new float[size * size * 3];
            for (int p = 0; p < size * size; p++)
                for (int c = 0; c < 3; c++) rgb[p * 3 + c] = bytes[p * 4 + c] / 255f;
            return new SquareImage(name, size, rgb);
        }
        finally
        {
            foreach (var t in typefaces) t.Dispose();
        }
    }

    static SKTypeface LoadTypeface(string path)
    {
        if (!File.Exists(path)) throw new ImageLoadException($"font file not found: {path}");
        return SKTypeface.FromFile(path) ?? throw new ImageLoadException($"cannot read font file {path}: not a TrueType/OpenType font");
    }

    static SKColor RandomColour(Rng rng) =>
        new((byte)(rng.NextDouble() * 256), (byte)(rng.NextDouble() * 256), (byte)(rng.NextDouble() * 256));

    // A random colour whose luminance differs from the background's by at least 0.3, so every string is legible.
    static SKColor ContrastingColour(Rng rng, SKColor background)
    {
        for (int attempt = 0; ; attempt++)
        {
            var c = RandomColour(rng);
            if (Math.Abs(Luminance(c) - Luminance(background)) >= 0.3) return c;
            if (attempt >= 100) return Luminance(background) > 0.5 ? SKColors.Black : SKColors.White;
        }
    }

    static double Luminance(SKColor c) => (0.2126 * c.Red + 0.7152 * c.Green + 0.0722 * c.Blue) / 255;
}
