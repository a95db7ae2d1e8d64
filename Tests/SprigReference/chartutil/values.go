// Package chartutil stands in for Helm's pkg/chartutil in the Sprig reference: the type of
// `.Values` (a named map type, which Sprig's reflection and %T see by its name) and the one
// method the differential cases call. Helm's other methods are not needed there.
package chartutil

// Values is the type Helm gives `.Values`: a map type of its own over the chart's values.
type Values map[string]interface{}

// AsMap is the map under the type (Helm's gives an empty map for none).
func (v Values) AsMap() map[string]interface{} {
	if len(v) == 0 {
		return map[string]interface{}{}
	}
	return v
}
