using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;

namespace SpeechServe.Tests.Support;

/// <summary>
/// Generators of hostile inputs for parser properties: random bytes, and mutations of a valid input (bit flips,
/// truncations, overwritten or inflated length fields, inserted and deleted ranges), applied one to three at
/// a time.
/// </summary>
internal static class ByteMutations
{
    /// <summary>Length values a lying header likes: the largest of each width, just past them, and 4 GB.</summary>
    public static readonly ulong[] InflatedLengths =
    [
        0xFFFF_FFFF, 0xFFFF_FFFE, 0x8000_0000, 0x7FFF_FFFF, 0x7FFF_FFF8, 0x1_0000_0000, 0xFFFF_FFF0, 0x10_0000,
        ulong.MaxValue, long.MaxValue, (ulong)int.MaxValue + 1, 0,
    ];

    /// <summary>Random bytes up to <paramref name="maxLength"/> long.</summary>
    public static Gen<byte[]> RandomBytes(int maxLength) =>
        Gen.Choose(0, maxLength).SelectMany(length => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length));

    /// <summary>
    /// <paramref name="valid"/> mutated one to three times; <paramref name="lengthFields"/> are offsets of 32-bit
    /// little-endian length fields worth inflating on purpose (others are hit at random offsets).
    /// </summary>
    public static Gen<byte[]> Mutated(Gen<byte[]> valid, params int[] lengthFields) =>
        from input in valid
        from count in Gen.Choose(1, 3)
        from mutations in Gen.ArrayOf(Mutation(lengthFields), count)
        select mutations.Aggregate(input, (bytes, mutate) => mutate(bytes));

    private static Gen<Func<byte[], byte[]>> Mutation(int[] lengthFields)
    {
        var seeds = Gen.Choose(0, int.MaxValue);
        var mutations = new List<Gen<Func<byte[], byte[]>>>
        {
            seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => FlipBits(bytes, new Random(seed))),
            seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Truncate(bytes, new Random(seed))),
            seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Overwrite32(bytes, new Random(seed), null)),
            seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Insert(bytes, new Random(seed))),
            seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Delete(bytes, new Random(seed))),
        };
        if (lengthFields.Length > 0)
        {
            mutations.Add(seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Overwrite32(bytes, new Random(seed), lengthFields)));
            mutations.Add(seeds.Select<int, Func<byte[], byte[]>>(seed => bytes => Overwrite32(bytes, new Random(seed), lengthFields)));
        }

        return Gen.OneOf(mutations);
    }

    private static byte[] FlipBits(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        for (var i = random.Next(1, 9); i > 0; i--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] Truncate(byte[] bytes, Random random) => bytes[..random.Next(bytes.Length + 1)];

    // A 32-bit length at a known length field or at a random offset, inflated or random.
    private static byte[] Overwrite32(byte[] bytes, Random random, int[]? fields)
    {
        if (bytes.Length < 4)
        {
            return bytes;
        }

        var offset = fields is { Length: > 0 } ? fields[random.Next(fields.Length)] : random.Next(bytes.Length - 3);
        if (offset + 4 > bytes.Length)
        {
            return bytes;
        }

        var copy = (byte[])bytes.Clone();
        var value = random.Next(3) == 0 ? (uint)random.NextInt64(0, 1L << 32) : (uint)InflatedLengths[random.Next(InflatedLengths.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] Insert(byte[] bytes, Random random)
    {
        var at = random.Next(bytes.Length + 1);
        var extra = new byte[random.Next(1, 64)];
        random.NextBytes(extra);
        return [.. bytes.AsSpan(0, at), .. extra, .. bytes.AsSpan(at)];
    }

    private static byte[] Delete(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var at = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(64, bytes.Length - at) + 1);
        return [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + length)];
    }
}
