import { encode } from "fast-png";
import type { RgbaImage } from "./raster.js";

/** Encodes an RGBA image as PNG bytes (pure JavaScript: works in browsers and Node). */
export function encodePng(image: RgbaImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: 4, depth: 8 });
}

/** A `data:image/png;base64,...` URI of an RGBA image, for embedding in SVG. */
export function pngDataUri(image: RgbaImage): string {
  return `data:image/png;base64,${base64(encodePng(image))}`;
}

// btoa is global in browsers and in Node >= 16; it takes a binary string, built
// in chunks because String.fromCharCode(...bytes) overflows the stack on large arrays.
function base64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
