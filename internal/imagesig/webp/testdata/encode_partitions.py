#!/usr/bin/env python3
"""Encodes a lossy WebP with several VP8 token partitions, which no libwebp tool writes
(cwebp has no option for WebPConfig.partitions), by calling libwebp 1.2.4 (libwebp.so.7)
through ctypes. Used by `go test -run TestFixtures -update` in internal/imagesig/webp.

usage: encode_partitions.py WIDTH HEIGHT LOG2_PARTITIONS QUALITY RGBA_FILE OUT.webp
RGBA_FILE holds WIDTH*HEIGHT*4 bytes; alpha is kept (an ALPH chunk) unless all 255."""
import ctypes
import sys

lib = ctypes.CDLL("libwebp.so.7")
ENCODER_ABI = 0x020F


class Config(ctypes.Structure):
    _fields_ = [(n, ctypes.c_float if n in ("quality", "target_PSNR") else ctypes.c_int) for n in (
        "lossless quality method image_hint target_size target_PSNR segments sns_strength "
        "filter_strength filter_sharpness filter_type autofilter alpha_compression "
        "alpha_filtering alpha_quality pass_ show_compressed preprocessing partitions "
        "partition_limit emulate_jpeg_size thread_level low_memory near_lossless exact "
        "use_delta_palette use_sharp_yuv qmin qmax").split()]


P = ctypes.c_void_p
U32 = ctypes.c_uint32


class Picture(ctypes.Structure):
    _fields_ = [("use_argb", ctypes.c_int), ("colorspace", ctypes.c_int), ("width", ctypes.c_int),
                ("height", ctypes.c_int), ("y", P), ("u", P), ("v", P), ("y_stride", ctypes.c_int),
                ("uv_stride", ctypes.c_int), ("a", P), ("a_stride", ctypes.c_int), ("pad1", U32 * 2),
                ("argb", P), ("argb_stride", ctypes.c_int), ("pad2", U32 * 3), ("writer", P),
                ("custom_ptr", P), ("extra_info_type", ctypes.c_int), ("extra_info", P), ("stats", P),
                ("error_code", ctypes.c_int), ("progress_hook", P), ("user_data", P), ("pad3", U32 * 3),
                ("pad4", P), ("pad5", P), ("pad6", U32 * 8), ("memory_", P), ("memory_argb_", P),
                ("pad7", P * 2)]


class MemoryWriter(ctypes.Structure):
    _fields_ = [("mem", ctypes.POINTER(ctypes.c_uint8)), ("size", ctypes.c_size_t),
                ("max_size", ctypes.c_size_t), ("pad", U32 * 1)]


def main():
    w, h, parts, quality = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    rgba = open(sys.argv[5], "rb").read()
    assert len(rgba) == w * h * 4
    cfg = Config()
    assert lib.WebPConfigInitInternal(ctypes.byref(cfg), 0, ctypes.c_float(quality), ENCODER_ABI)
    cfg.partitions = parts
    cfg.low_memory = 1  # the token buffer of methods >= 3 forces one partition
    cfg.segments = 4
    assert lib.WebPValidateConfig(ctypes.byref(cfg))
    pic = Picture()
    assert lib.WebPPictureInitInternal(ctypes.byref(pic), ENCODER_ABI)
    pic.width, pic.height = w, h
    buf = ctypes.create_string_buffer(rgba, len(rgba))
    assert lib.WebPPictureImportRGBA(ctypes.byref(pic), buf, w * 4)
    writer = MemoryWriter()
    lib.WebPMemoryWriterInit(ctypes.byref(writer))
    pic.writer = ctypes.cast(lib.WebPMemoryWrite, P)
    pic.custom_ptr = ctypes.cast(ctypes.pointer(writer), P)
    if not lib.WebPEncode(ctypes.byref(cfg), ctypes.byref(pic)):
        sys.exit("WebPEncode failed: error %d" % pic.error_code)
    open(sys.argv[6], "wb").write(ctypes.string_at(writer.mem, writer.size))
    lib.WebPPictureFree(ctypes.byref(pic))
    lib.WebPMemoryWriterClear(ctypes.byref(writer))


main()
