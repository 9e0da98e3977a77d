namespace Stm.Charts;

/// <summary>The file format of the charts.</summary>
internal enum ImageFormat
{
    /// <summary>Scalable vector graphics: small, diffable, sharp at any size (the default).</summary>
    Svg,

    /// <summary>A raster image.</summary>
    Png,
}
