namespace FourierRepro.Experiments.Core;

// A seeded generator (xoshiro256**) whose streams are derived by name from one root seed, so that adding a
// random draw in one place never shifts another's stream (STYLE 4). All random numbers of an experiment
// come from here, not from torch's global generator: the same seed gives the same tensors on any device.
public sealed class Rng
{
    ulong s0, s1, s2, s3;
    double? spareNormal;

    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x); s1 = SplitMix64(ref x); s2 = SplitMix64(ref x); s3 = SplitMix64(ref x);
    }

    // An independent stream named `stream`, derived from `rootSeed`.
    public static Rng Derive(long rootSeed, string stream) => new(DeriveSeed(rootSeed, stream));

    public static ulong DeriveSeed(long rootSeed, string stream)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the stream name
        foreach (char c in stream) { h ^= c; h *= 1099511628211UL; }
        ulong x = (ulong)rootSeed ^ h;
        SplitMix64(ref x);
        return SplitMix64(ref x);
    }

    public Rng Derive(string stream) => new(DeriveSeed((long)NextUInt64(), stream));

    static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    // Uniform on [0, 1), 53 bits.
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    // Standard normal (Box–Muller, both values used).
    public double Normal()
    {
        if (spareNormal is double s) { spareNormal = null; return s; }
        double u1;
        do u1 = NextDouble(); while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    // Standard Laplace(0, 1).
    public double Laplace()
    {
        double u = NextDouble() - 0.5;
        return -Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u));
    }

    public float[] UniformArray(int n, double low, double high)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)Uniform(low, high);
        return a;
    }

    public float[] NormalArray(int n, double std)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(std * Normal());
        return a;
    }
}
