import { decodeIdCardText, type IdCard } from '../../drivers/id-card/id-card-text';
import { encodeIdCardText } from '../../drivers/id-card/id-card-text-encoder';
import { sampleCard, type SampleCardName } from '../../drivers/id-card/sample-cards';

/** A sample card decoded through the real text codec, as the ID-card service would deliver it. */
export function decodedSampleCard(name: SampleCardName): IdCard {
  const decoded = decodeIdCardText(encodeIdCardText(sampleCard(name).text));
  if (!decoded.ok) throw new Error(`sample card ${name} does not decode: ${decoded.error.kind}`);
  return decoded.value;
}
