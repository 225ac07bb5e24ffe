using System.Runtime.InteropServices;

namespace Xinfang.Web.Cryptography;

/// <summary>
/// The national algorithms SM3 (GB/T 32905, hash) and SM4 (GB/T 32907, block cipher), called in the machine's
/// OpenSSL 3 (libcrypto.so.3, which .NET itself already loads) rather than written by hand: the commercial
/// cryptography rules expect an implementation that has been reviewed, and OpenSSL's has.
/// Where the library or an algorithm is missing (a FIPS-only build, another OS), <see cref="HasSm3"/> /
/// <see cref="HasSm4"/> are false and callers fall back (AES-GCM, HMAC-SHA256), saying so at start.
/// </summary>
public static class NationalCrypto
{
    const string LibCrypto = "libcrypto.so.3";
    public const int Sm3Length = 32;
    public const int Sm4BlockLength = 16;
    public const int Sm4KeyLength = 16;

    static readonly Lazy<IntPtr> Sm3Md = new(() => Fetch(() => EVP_MD_fetch(IntPtr.Zero, "SM3", null)));
    static readonly Lazy<IntPtr> Sm4Ctr = new(() => Fetch(() => EVP_CIPHER_fetch(IntPtr.Zero, "SM4-CTR", null)));
    static readonly Lazy<IntPtr> Sm4Ecb = new(() => Fetch(() => EVP_CIPHER_fetch(IntPtr.Zero, "SM4-ECB", null)));

    /// <summary>True when libcrypto offers SM3 here.</summary>
    public static bool HasSm3 => Sm3Md.Value != IntPtr.Zero;

    /// <summary>True when libcrypto offers SM4 (CTR and ECB) here.</summary>
    public static bool HasSm4 => Sm4Ctr.Value != IntPtr.Zero && Sm4Ecb.Value != IntPtr.Zero;

    /// <summary>SM3 digest (32 bytes) of <paramref name="data"/>.</summary>
    public static byte[] Sm3(ReadOnlySpan<byte> data)
    {
        var md = Require(Sm3Md.Value, "SM3");
        var output = new byte[Sm3Length];
        unsafe
        {
            fixed (byte* d = data)
            fixed (byte* o = output)
            {
                uint size = 0;
                if (EVP_Digest(d, (nuint)data.Length, o, ref size, md, IntPtr.Zero) != 1 || size != Sm3Length)
                    throw new CryptographicFailure("SM3 digest failed");
            }
        }
        return output;
    }

    /// <summary>HMAC-SM3 (RFC 2104 over SM3; 32 bytes): blind indexes and the MAC of encrypt-then-MAC.</summary>
    public static byte[] HmacSm3(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        var md = Require(Sm3Md.Value, "SM3");
        var output = new byte[Sm3Length];
        unsafe
        {
            fixed (byte* k = key)
            fixed (byte* d = data)
            fixed (byte* o = output)
            {
                uint size = 0;
                if (HMAC(md, k, key.Length, d, (nuint)data.Length, o, ref size) == IntPtr.Zero || size != Sm3Length)
                    throw new CryptographicFailure("HMAC-SM3 failed");
            }
        }
        return output;
    }

    /// <summary>
    /// SM4 in counter mode: the same call encrypts and decrypts. The 16-byte <paramref name="iv"/> must never
    /// repeat under one key (callers draw it at random); integrity comes from a MAC over the result.
    /// </summary>
    public static byte[] Sm4CounterMode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data)
    {
        if (key.Length != Sm4KeyLength) throw new ArgumentException("SM4 keys are 16 bytes.", nameof(key));
        if (iv.Length != Sm4BlockLength) throw new ArgumentException("SM4 counters are 16 bytes.", nameof(iv));
        return Run(Require(Sm4Ctr.Value, "SM4-CTR"), key, iv, data);
    }

    /// <summary>SM4 on whole blocks without chaining or padding: only for checking the standard's test vectors.</summary>
    public static byte[] Sm4EncryptBlocks(ReadOnlySpan<byte> key, ReadOnlySpan<byte> blocks)
    {
        if (key.Length != Sm4KeyLength) throw new ArgumentException("SM4 keys are 16 bytes.", nameof(key));
        if (blocks.Length % Sm4BlockLength != 0) throw new ArgumentException("Whole 16-byte blocks only.", nameof(blocks));
        return Run(Require(Sm4Ecb.Value, "SM4-ECB"), key, ReadOnlySpan<byte>.Empty, blocks);
    }

    static byte[] Run(IntPtr cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> data)
    {
        var ctx = EVP_CIPHER_CTX_new();
        if (ctx == IntPtr.Zero) throw new CryptographicFailure("EVP_CIPHER_CTX_new failed");
        try
        {
            var output = new byte[data.Length + Sm4BlockLength];
            int written, final;
            unsafe
            {
                fixed (byte* k = key)
                fixed (byte* v = iv)
                fixed (byte* d = data)
                fixed (byte* o = output)
                {
                    if (EVP_EncryptInit_ex(ctx, cipher, IntPtr.Zero, k, iv.IsEmpty ? null : v) != 1) throw new CryptographicFailure("SM4 init failed");
                    EVP_CIPHER_CTX_set_padding(ctx, 0);
                    written = 0;
                    if (data.Length > 0 && EVP_EncryptUpdate(ctx, o, ref written, d, data.Length) != 1) throw new CryptographicFailure("SM4 update failed");
                    final = 0;
                    if (EVP_EncryptFinal_ex(ctx, o + written, ref final) != 1) throw new CryptographicFailure("SM4 final failed");
                }
            }
            return output.AsSpan(0, written + final).ToArray();
        }
        finally
        {
            EVP_CIPHER_CTX_free(ctx);
        }
    }

    static IntPtr Fetch(Func<IntPtr> fetch)
    {
        try { return fetch(); }
        catch (DllNotFoundException) { return IntPtr.Zero; }
        catch (EntryPointNotFoundException) { return IntPtr.Zero; }
    }

    static IntPtr Require(IntPtr handle, string name) =>
        handle != IntPtr.Zero ? handle : throw new PlatformNotSupportedException($"{name} is not available in {LibCrypto} on this machine.");

    [DllImport(LibCrypto)] static extern IntPtr EVP_MD_fetch(IntPtr libraryContext, [MarshalAs(UnmanagedType.LPUTF8Str)] string algorithm, [MarshalAs(UnmanagedType.LPUTF8Str)] string? properties);
    [DllImport(LibCrypto)] static extern IntPtr EVP_CIPHER_fetch(IntPtr libraryContext, [MarshalAs(UnmanagedType.LPUTF8Str)] string algorithm, [MarshalAs(UnmanagedType.LPUTF8Str)] string? properties);
    [DllImport(LibCrypto)] static extern unsafe int EVP_Digest(byte* data, nuint count, byte* md, ref uint size, IntPtr type, IntPtr engine);
    [DllImport(LibCrypto)] static extern unsafe IntPtr HMAC(IntPtr md, byte* key, int keyLength, byte* data, nuint count, byte* output, ref uint outputLength);
    [DllImport(LibCrypto)] static extern IntPtr EVP_CIPHER_CTX_new();
    [DllImport(LibCrypto)] static extern void EVP_CIPHER_CTX_free(IntPtr ctx);
    [DllImport(LibCrypto)] static extern int EVP_CIPHER_CTX_set_padding(IntPtr ctx, int padding);
    [DllImport(LibCrypto)] static extern unsafe int EVP_EncryptInit_ex(IntPtr ctx, IntPtr cipher, IntPtr engine, byte* key, byte* iv);
    [DllImport(LibCrypto)] static extern unsafe int EVP_EncryptUpdate(IntPtr ctx, byte* output, ref int outputLength, byte* input, int inputLength);
    [DllImport(LibCrypto)] static extern unsafe int EVP_EncryptFinal_ex(IntPtr ctx, byte* output, ref int outputLength);
}

/// <summary>libcrypto reported an error: a bug or a broken installation, never bad user input.</summary>
public sealed class CryptographicFailure(string message) : Exception(message);
