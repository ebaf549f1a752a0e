package dev.keyward.parse;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * A YAML factory whose parsers also tell the anchor of a scalar value ({@code key: &name value}).
 * Jackson's {@link YAMLParser#getCurrentAnchor()} reports anchors of mappings and sequences only, so
 * without this an alias of an anchored scalar could not be resolved. Only the byte-array entry point is
 * used by {@link DocumentReader}.
 */
final class AnchorAwareYamlFactory extends YAMLFactory {

  private static final long serialVersionUID = 1L;

  AnchorAwareYamlFactory(YAMLFactoryBuilder builder) {
    super(builder);
  }

  @Override
  protected YAMLParser _createParser(byte[] data, int offset, int len, IOContext ctxt) throws IOException {
    return new Parser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
        _createReader(data, offset, len, null, ctxt));
  }

  /** A YAML parser that exposes the anchor of the current scalar. */
  static final class Parser extends YAMLParser {
    Parser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions loaderOptions,
        ObjectCodec codec, Reader reader) {
      super(ctxt, parserFeatures, formatFeatures, loaderOptions, codec, reader);
    }

    /** The anchor of the current value: of a scalar, a mapping or a sequence; null when it has none. */
    String valueAnchor() throws java.io.IOException {
      if (_lastEvent instanceof ScalarEvent) {
        return ((ScalarEvent) _lastEvent).getAnchor();
      }
      return getObjectId();
    }
  }
}
